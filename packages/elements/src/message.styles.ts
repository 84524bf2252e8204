// The look of <beckon-message>. Every colour, size and layer reads a --beckon-* custom property
// first; the private --_* tokens hold the light defaults and switch to dark ones under
// prefers-color-scheme. The modal's base takes focus only so that its title and body are read out,
// so it draws no focus ring. Animations stop under prefers-reduced-motion. Inside var() and calc(), and after a
// custom property's colon, the optional spaces are left out here: the CSS minifier keeps them there.

/** The shadow root's CSS (plain text: it becomes one constructed stylesheet). */
export const messageStyles = `
:host {
  --_bg:var(--beckon-color-background,#fff);
  --_fg:var(--beckon-color-text,#1b1d21);
  --_accent:var(--beckon-color-primary,#2447c7);
  --_on-accent:var(--beckon-color-on-primary,#fff);
  --_border:var(--beckon-color-border,#c9cdd4);
  --_focus:var(--beckon-color-focus,#2447c7);
  --_backdrop:var(--beckon-color-backdrop,#0f1115a0);
  --_space:var(--beckon-spacing,1.25rem);
  --_radius:var(--beckon-radius,0.75rem);
  --_z:var(--beckon-z-index,2147483000);
  display: block;
}
@media (prefers-color-scheme: dark) {
  :host {
    --_bg:var(--beckon-color-background,#1d1f24);
    --_fg:var(--beckon-color-text,#eceef2);
    --_accent:var(--beckon-color-primary,#98b6ff);
    --_on-accent:var(--beckon-color-on-primary,#0c1630);
    --_border:var(--beckon-color-border,#4a4f5a);
    --_focus:var(--beckon-color-focus,#98b6ff);
    --_backdrop:var(--beckon-color-backdrop,#000b);
  }
}
.base {
  box-sizing: border-box;
  position: relative;
  z-index: var(--_z);
  padding: var(--_space);
  border-radius: var(--_radius);
  background: var(--_bg);
  color: var(--_fg);
  box-shadow: var(--beckon-shadow,0 0.5rem 2rem #0004);
  font: var(--beckon-font-size,1rem)/1.5 var(--beckon-font-family,system-ui,sans-serif);
  text-align: start;
  overflow-wrap: anywhere;
  animation: beckon-in 0.2s ease-out;
}
.base:focus { outline: 0; }
.modal, .popup, .banner:not(.push), .backdrop { position: fixed; }
.backdrop {
  inset: 0;
  z-index: var(--_z);
  background: var(--_backdrop);
  animation: beckon-fade 0.2s;
}
.modal, .popup {
  width: min(var(--beckon-width,28rem), 100% - 2rem);
  max-height: calc(100% - 2rem);
  overflow: auto;
}
.modal { inset: 0; height: fit-content; margin: auto; }
.popup { width: min(var(--beckon-width,22rem), 100% - 2rem); }
.top-left, .top-right { top: 1rem; }
.bottom-left, .bottom-right { bottom: 1rem; }
.top-left, .bottom-left { left: 1rem; }
.top-right, .bottom-right { right: 1rem; }
.banner {
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  gap: 0.5rem var(--_space);
  inset-inline: 0;
  max-height: 50vh;
  overflow: auto;
  padding-block: calc(var(--_space)/2);
  border-radius: 0;
}
.top { top: 0; }
.bottom { bottom: 0; }
.banner .text { flex: 1 1 16rem; }
.banner .close { order: 1; }
.banner img { max-height: 3rem; margin: 0; }
.banner .actions { margin: 0; }
.inline { box-shadow: none; border: 1px solid var(--_border); }
.close {
  float: inline-end;
  position: sticky;
  top: 0;
  display: grid;
  place-items: center;
  width: 2.25rem;
  height: 2.25rem;
  margin: calc(var(--_space)/-2);
  margin-inline-start: 0.5rem;
  padding: 0;
  border: 0;
  border-radius: 50%;
  background: var(--_bg);
  color: inherit;
  cursor: pointer;
}
svg { width: 1rem; stroke: currentColor; stroke-width: 2; stroke-linecap: round; }
img {
  display: block;
  max-width: 100%;
  height: auto;
  margin-bottom: 0.75rem;
  border-radius: calc(var(--_radius)/2);
}
h2 { margin: 0 0 0.25rem; font-size: 1.25em; line-height: 1.3; }
a { color: inherit; text-underline-offset: 0.15em; }
.actions {
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  gap: 0.5rem;
  margin-top: 1rem;
}
.action {
  padding: 0.5rem 1rem;
  border: 1px solid var(--_border);
  border-radius: calc(var(--_radius)/1.5);
  background: none;
  color: inherit;
  font: inherit;
  font-weight: 600;
  text-decoration: none;
  cursor: pointer;
}
.primary { border-color: #0000; background: var(--_accent); color: var(--_on-accent); }
.link { padding-inline: 0.25rem; border: 0; font-weight: inherit; text-decoration: underline; }
:focus-visible { outline: 2px solid var(--_focus); outline-offset: 2px; }
.sr-only {
  position: absolute;
  width: 1px;
  height: 1px;
  overflow: hidden;
  clip-path: inset(50%);
  white-space: nowrap;
}
@keyframes beckon-in { from { opacity: 0; transform: translateY(0.5rem); } }
@keyframes beckon-fade { from { opacity: 0; } }
@media (prefers-reduced-motion: reduce) {
  .base, .backdrop { animation: none; }
}
`;

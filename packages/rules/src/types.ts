// The shapes every Beckon package shares. @beckon/rules owns them; the other packages import them.

/** A duration: `"500ms"`, `"30s"`, `"10m"`, `"12h"`, `"7d"`, or a number of milliseconds. */
export type Duration = string | number;

/** Who a message is for: visitors not yet identified (the default), identified ones, or both. */
export type Audience = 'anonymous' | 'identified' | 'everyone';

/** One page rule: a glob string (path or host + path, with optional `?query` and `#hash`) or an object form. */
export type PagePattern = string | { regex: string } | { contains: string } | { equals: string };

/** Which pages (or screens) a message may show on. No include means everywhere; any exclude match wins. */
export interface PageRules {
  include?: PagePattern[];
  exclude?: PagePattern[];
  /** Match case-sensitively (default false). */
  caseSensitive?: boolean;
}

/** What makes an eligible message show. Absent: on page view. */
export interface Trigger {
  /** Show when this tracked event happens (not on page view). */
  event?: string;
  /** Wait this long after the page view or event. */
  delay?: Duration;
  /** Wait until the visitor has scrolled this far down the page (0–100). */
  scrollPercent?: number;
  /** Wait until the pointer leaves the top of the window (desktop exit intent). */
  exitIntent?: boolean;
  /** Only once the visitor has seen this many pages in the session. */
  minPageViews?: number;
}

/** A cap on shows per window: at most `max` shows per duration or per session. */
export interface FrequencyCap {
  max: number;
  per: Duration | 'session';
}

/** How often a message may show to one visitor. An absent option sets no limit of its kind. */
export interface Frequency {
  maxShows?: number;
  minInterval?: Duration;
  caps?: FrequencyCap[];
  /** Stop showing once dismissed (default true). */
  stopOnDismiss?: boolean;
  /** Stop showing once an action was taken (default true). */
  stopOnAction?: boolean;
}

/** When a message is live, as ISO 8601 date-times. */
export interface Schedule {
  start?: string;
  end?: string;
}

/** What counts as a conversion for a message: an event within a window after the first show. */
export interface Goal {
  /** A track event name, or `"identify"`. */
  event: string;
  /** Default `"7d"`. */
  window?: Duration;
}

export type LayoutType = 'modal' | 'banner' | 'popup' | 'inline';
export type PopupPosition = 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right';

export type Layout =
  | { type: 'modal'; position?: 'center'; /** Clicking the backdrop dismisses (default true). */ dismissOnBackdrop?: boolean }
  | { type: 'banner'; position?: 'top' | 'bottom'; /** Push the page content down instead of overlaying it (default false). */ push?: boolean }
  | { type: 'popup'; position?: PopupPosition }
  | { type: 'inline'; /** The `name` of a `<beckon-slot>` on the page. */ slot?: string; /** Or a CSS selector of a host element. */ selector?: string };

export type ActionStyle = 'primary' | 'secondary' | 'link';

/** A button in a message. */
export interface Action {
  id: string;
  label: string;
  /** Followed on click when it is http(s), mailto, tel or relative. */
  url?: string;
  style?: ActionStyle;
  /** Clicking it also dismisses the message. */
  dismiss?: boolean;
}

/** What a message says. Text is plain: the body allows `**bold**`, `_em_`, `[label](url)` and line breaks. */
export interface Content {
  title?: string;
  body?: string;
  image?: { src: string; alt: string };
  /** At most three. */
  actions?: Action[];
}

/**
 * One version of a message in an experiment. Each eligible visitor sees one variant, picked by a stable hash of
 * the message id and their anonymous id, with a chance in proportion to its weight (see `assignVariant`).
 */
export interface Variant {
  /** 1 to 64 of a-z, 0-9, `_` and `-`, unique in the message; sent as `variant_id` with every message event. */
  id: string;
  /** Relative share of visitors, >= 0 (0 stops showing the variant to anyone). Shares are weight / sum of weights. */
  weight: number;
  /** Replaces the message's layout for this variant; absent: the message's. */
  layout?: Layout;
  /** Replaces the message's content (as a whole) for this variant; absent: the message's. */
  content?: Content;
}

/** A message as authors write it (DESIGN.md, "Message model"). */
export interface Message {
  id: string;
  audience?: Audience;
  pages?: PageRules;
  screens?: PageRules;
  trigger?: Trigger;
  frequency?: Frequency;
  schedule?: Schedule;
  /** Higher wins; ties broken by id. Default 0. */
  priority?: number;
  /** Share of eligible visitors kept as a control group, in [0, 1). Default 0. */
  holdout?: number;
  goal?: Goal;
  layout: Layout;
  content: Content;
  /** Versions of the message to compare; each eligible visitor is assigned one. The holdout stays beside them. */
  variants?: Variant[];
}

/** A catalog as authors write it: `{ "messages": [...] }` (a bare array of messages is accepted too). */
export interface Catalog {
  messages: Message[];
}

/** Why a message is not shown. */
export type SkipReason =
  | 'audience'
  | 'page'
  | 'screen'
  | 'schedule'
  | 'trigger'
  | 'frequency:maxShows'
  | 'frequency:minInterval'
  | 'frequency:cap'
  | 'dismissed'
  | 'acted'
  | 'holdout'
  | 'limit';

/** What a ledger entry records. */
export type LedgerEventType = 'shown' | 'dismissed' | 'action';

// The part of react-refresh's runtime the provider-page fixture uses (the package ships no types).
declare module 'react-refresh/runtime' {
  export function injectIntoGlobalHook(globalObject: object): void;
  export function register(type: unknown, id: string): void;
  export function setSignature(type: unknown, key: string, forceReset?: boolean): void;
  export function performReactRefresh(): unknown;
}

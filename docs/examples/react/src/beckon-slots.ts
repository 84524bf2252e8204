// The slots this app has: <BeckonSlot name> accepts only these.
declare module '@beckon/react' {
  interface BeckonSlotNames {
    'home-card': true;
  }
}

export {};

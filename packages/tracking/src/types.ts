// Segment-spec shaped events (DESIGN.md, "Events"). The collector in @beckon/server accepts exactly these.

/** Page facts attached to every event from a browser. */
export interface EventContext {
  page?: { url?: string; path?: string; referrer?: string; title?: string; search?: string };
  screen?: { name?: string };
  locale?: string;
  userAgent?: string;
  /** The sending library; Beckon's own always send it, other Segment-protocol libraries may not. */
  library?: { name: string; version: string };
}

interface BaseEvent {
  /** The event's own unique id (a UUID); the server drops repeats of it. */
  messageId: string;
  anonymousId: string;
  userId?: string;
  /** ISO 8601. */
  timestamp: string;
  context?: EventContext;
  properties?: Record<string, unknown>;
}

export interface PageEvent extends BaseEvent { type: 'page'; name?: string }
export interface ScreenEvent extends BaseEvent { type: 'screen'; name: string }
export interface TrackEvent extends BaseEvent { type: 'track'; event: string }
export interface IdentifyEvent extends BaseEvent { type: 'identify'; userId: string; traits?: Record<string, unknown> }

export type BeckonEvent = PageEvent | ScreenEvent | TrackEvent | IdentifyEvent;

/**
 * Segment's alias: `previousId` (an anonymousId, or an earlier userId) is the same person as `userId`.
 * Beckon's own libraries never send it; the collector accepts it from other Segment-protocol libraries.
 */
export interface AliasEvent extends Omit<BaseEvent, 'anonymousId'> {
  type: 'alias';
  anonymousId?: string;
  userId: string;
  previousId: string;
}

/** Segment's group: the person belongs to the group (an account, a company) `groupId`. */
export interface GroupEvent extends BaseEvent { type: 'group'; groupId: string; traits?: Record<string, unknown> }

/** Everything the collector stores: Beckon's own four event types and Segment's alias and group. */
export type CollectedEvent = BeckonEvent | AliasEvent | GroupEvent;

/** Beckon's own track events and their snake_case properties. */
export const MESSAGE_EVENTS = {
  shown: 'Message Shown', // { message_id, layout }
  clicked: 'Message Clicked', // { message_id, action_id, url }
  dismissed: 'Message Dismissed', // { message_id, via }
  heldOut: 'Message Held Out', // { message_id }
} as const;

/** A lift estimate with its 95% confidence interval (absolute difference of conversion rates). */
export interface Lift {
  /** Conversion rate of viewers minus that of the control group. */
  value: number;
  low: number;
  high: number;
}

/** Per-message numbers over a time range (DESIGN.md, "Metrics"). */
export interface MessageMetrics {
  messageId: string;
  impressions: number;
  uniqueViewers: number;
  clicks: number;
  clickers: number;
  /** clickers / uniqueViewers (0 when no viewers). */
  clickThroughRate: number;
  dismissals: number;
  /** Viewers who reached the goal within the window after their first show. */
  conversions: number;
  /** conversions / uniqueViewers. */
  conversionRate: number;
  control: { size: number; conversions: number; conversionRate: number };
  /** null when either group is empty. */
  lift: Lift | null;
}

/** What counts as a conversion for one message: a goal event within `windowMs` after the first show. */
export interface MetricsGoal {
  /** 'identify' for an identify event; any other name for a track event of that name. */
  event: string;
  /** How long after the first show (or hold-out) the goal still counts, in ms. */
  windowMs: number;
}

/** Options of `computeMetrics`: the range [from, to) in epoch ms and, when known, each message's goal. */
export interface MetricsOptions {
  from: number;
  to: number;
  /** message id → goal; a message without an entry uses `{ event: 'identify', windowMs: 7 days }`. */
  goals?: Record<string, MetricsGoal>;
}

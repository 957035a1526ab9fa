/**
 * A sync channel is one stream of work with its own state and its own lock: the inbound Entra sync
 * is one channel; each mailbox's calendar will be another, so it can run beside the inbound run.
 */
export type ChannelId = string;

/** The inbound sync of Entra users and groups into HR (docs/rules.md). */
export const INBOUND_CHANNEL_ID: ChannelId = 'entra-inbound';

/** Write-back of HR changes to Entra (docs/rules.md §4): one drain of the outbox at a time. */
export const WRITE_BACK_CHANNEL_ID: ChannelId = 'entra-write-back';

/** E-mail invitations (docs/rules.md §8.4): one sender at a time, so nobody gets one twice. */
export const INVITATIONS_CHANNEL_ID: ChannelId = 'invitations';

/** The calendar sync of one mailbox (the calendar issue); its id names the mailbox's Entra user. */
export function calendarChannelId(mailboxId: string): ChannelId {
  return `calendar:${mailboxId}`;
}

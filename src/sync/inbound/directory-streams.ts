import type { DeltaStream } from '../kernel/delta-fetch.stage.js';
import type {
  DirectoryGroupChange,
  DirectoryMirror,
  DirectoryReader,
  DirectoryUserChange,
} from './inbound-sync.ports.js';

/**
 * The inbound channel's two delta streams, read from the directory into its mirror: users (with
 * the properties the settings need, and their manager) and groups (with their members). They are
 * independent: a run reads both at once.
 */
export function directoryStreams(
  directory: DirectoryReader,
  mirror: DirectoryMirror,
  properties: readonly string[],
): [DeltaStream<DirectoryUserChange>, DeltaStream<DirectoryGroupChange>] {
  return [
    {
      name: 'users',
      read: (cursor) => directory.userChanges(cursor, properties),
      store: (items, next) => mirror.storeUsers(items, next),
      sweep: (round) => mirror.finishFullRound('users', round),
    },
    {
      name: 'groups',
      read: (cursor) => directory.groupChanges(cursor),
      store: (items, next) => mirror.storeGroups(items, next),
      sweep: (round) => mirror.finishFullRound('groups', round),
    },
  ];
}

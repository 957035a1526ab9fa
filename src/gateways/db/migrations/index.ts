import { Migration20261123132939_initial } from './migration-20261123132939-initial.js';
import { Migration20261123135524_directory_mirror } from './migration-20261123135524-directory-mirror.js';
import { Migration20261123143651_pictures } from './migration-20261123143651-pictures.js';
import { Migration20261130075816_kept_fields } from './migration-20261130075816-kept-fields.js';
import { Migration20261130090117_inactive_users_index } from './migration-20261130090117-inactive-users-index.js';
import { Migration20261130092500_credential_lifecycle } from './migration-20261130092500-credential-lifecycle.js';
import { Migration20261130093000_run_lifecycle } from './migration-20261130093000-run-lifecycle.js';
import { Migration20261130110000_managers_resolved_at } from './migration-20261130110000-managers-resolved-at.js';
import { Migration20261130113000_sync_channel } from './migration-20261130113000-sync-channel.js';
import { Migration20261201090000_api_token_scope } from './migration-20261201090000-api-token-scope.js';
import { Migration20261201100000_change_origin } from './migration-20261201100000-change-origin.js';
import { Migration20261202090000_proportional_runs } from './migration-20261202090000-proportional-runs.js';
import { Migration20261210090000_calendars } from './migration-20261210090000-calendars.js';
import { Migration20261211090000_scim } from './migration-20261211090000-scim.js';
import { Migration20261212090000_calendar_events } from './migration-20261212090000-calendar-events.js';
import { Migration20261220120000_write_back } from './migration-20261220120000-write-back.js';
import { Migration20261221090000_web_session } from './migration-20261221090000-web-session.js';
import { Migration20261230090000_hr_event_series } from './migration-20261230090000-hr-event-series.js';
import { Migration20261231090000_write_back_create } from './migration-20261231090000-write-back-create.js';
import { Migration20270101090000_calendar_feed } from './migration-20270101090000-calendar-feed.js';
import { Migration20270105090000_invitations } from './migration-20270105090000-invitations.js';
import { Migration20270106090000_principal_changes } from './migration-20270106090000-principal-changes.js';

// Every migration, in order. scripts/migration-create.ts writes new files; add each one here.
export const migrations = [
  { name: 'Migration20261123132939_initial', class: Migration20261123132939_initial },
  { name: 'Migration20261123135524_directory_mirror', class: Migration20261123135524_directory_mirror },
  { name: 'Migration20261123143651_pictures', class: Migration20261123143651_pictures },
  { name: 'Migration20261130075816_kept_fields', class: Migration20261130075816_kept_fields },
  { name: 'Migration20261130090117_inactive_users_index', class: Migration20261130090117_inactive_users_index },
  { name: 'Migration20261130092500_credential_lifecycle', class: Migration20261130092500_credential_lifecycle },
  { name: 'Migration20261130093000_run_lifecycle', class: Migration20261130093000_run_lifecycle },
  { name: 'Migration20261130110000_managers_resolved_at', class: Migration20261130110000_managers_resolved_at },
  { name: 'Migration20261130113000_sync_channel', class: Migration20261130113000_sync_channel },
  { name: 'Migration20261201090000_api_token_scope', class: Migration20261201090000_api_token_scope },
  { name: 'Migration20261201100000_change_origin', class: Migration20261201100000_change_origin },
  { name: 'Migration20261202090000_proportional_runs', class: Migration20261202090000_proportional_runs },
  { name: 'Migration20261210090000_calendars', class: Migration20261210090000_calendars },
  { name: 'Migration20261211090000_scim', class: Migration20261211090000_scim },
  { name: 'Migration20261212090000_calendar_events', class: Migration20261212090000_calendar_events },
  { name: 'Migration20261220120000_write_back', class: Migration20261220120000_write_back },
  { name: 'Migration20261221090000_web_session', class: Migration20261221090000_web_session },
  { name: 'Migration20261230090000_hr_event_series', class: Migration20261230090000_hr_event_series },
  { name: 'Migration20261231090000_write_back_create', class: Migration20261231090000_write_back_create },
  { name: 'Migration20270101090000_calendar_feed', class: Migration20270101090000_calendar_feed },
  { name: 'Migration20270105090000_invitations', class: Migration20270105090000_invitations },
  { name: 'Migration20270106090000_principal_changes', class: Migration20270106090000_principal_changes },
];

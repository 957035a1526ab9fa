/**
 * Time zone names as Microsoft 365 writes them: Windows names ("W. Europe Standard Time") or IANA
 * names (https://learn.microsoft.com/graph/api/resources/datetimetimezone). The common Windows
 * names map to their IANA zone (the "001" rows of CLDR's windowsZones table); the platform's time
 * zone data does the arithmetic, daylight saving time included.
 */
const WINDOWS_TO_IANA: Readonly<Record<string, string>> = {
  UTC: 'UTC',
  'Hawaiian Standard Time': 'Pacific/Honolulu',
  'Alaskan Standard Time': 'America/Anchorage',
  'Pacific Standard Time': 'America/Los_Angeles',
  'US Mountain Standard Time': 'America/Phoenix',
  'Mountain Standard Time': 'America/Denver',
  'Central Standard Time': 'America/Chicago',
  'Central Standard Time (Mexico)': 'America/Mexico_City',
  'Eastern Standard Time': 'America/New_York',
  'Atlantic Standard Time': 'America/Halifax',
  'Newfoundland Standard Time': 'America/St_Johns',
  'E. South America Standard Time': 'America/Sao_Paulo',
  'Argentina Standard Time': 'America/Buenos_Aires',
  'Greenwich Standard Time': 'Atlantic/Reykjavik',
  'GMT Standard Time': 'Europe/London',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Central Europe Standard Time': 'Europe/Budapest',
  'Romance Standard Time': 'Europe/Paris',
  'Central European Standard Time': 'Europe/Warsaw',
  'GTB Standard Time': 'Europe/Bucharest',
  'FLE Standard Time': 'Europe/Kiev',
  'South Africa Standard Time': 'Africa/Johannesburg',
  'Israel Standard Time': 'Asia/Jerusalem',
  'Turkey Standard Time': 'Europe/Istanbul',
  'Russian Standard Time': 'Europe/Moscow',
  'Arabian Standard Time': 'Asia/Dubai',
  'India Standard Time': 'Asia/Calcutta',
  'SE Asia Standard Time': 'Asia/Bangkok',
  'China Standard Time': 'Asia/Shanghai',
  'Singapore Standard Time': 'Asia/Singapore',
  'Tokyo Standard Time': 'Asia/Tokyo',
  'Korea Standard Time': 'Asia/Seoul',
  'AUS Eastern Standard Time': 'Australia/Sydney',
  'New Zealand Standard Time': 'Pacific/Auckland',
};

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The IANA zone a Windows or IANA name stands for; null for a name neither knows. */
export function ianaZone(name: string): string | null {
  const mapped = WINDOWS_TO_IANA[name];
  if (mapped) return mapped;
  try {
    dateFormat(name);
    return name;
  } catch {
    return null;
  }
}

/** The calendar date (`YYYY-MM-DD`) in `zone` at an instant. */
export function dateIn(instant: Date, zone: string): string {
  const parts = Object.fromEntries(
    dateFormat(zone)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}`;
}

function dateFormat(zone: string): Intl.DateTimeFormat {
  let format = dateFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(zone, format);
  }
  return format;
}

const wallFormats = new Map<string, Intl.DateTimeFormat>();

/** The wall clock (`YYYY-MM-DDTHH:mm:ss`) in an IANA `zone` at an instant. */
export function wallClockIn(instant: Date, zone: string): string {
  let format = wallFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    wallFormats.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
}

/**
 * The instant a wall clock (`YYYY-MM-DDTHH:mm[:ss]`) names in an IANA `zone`: the zone's offset is
 * read at a first guess and once more at the answer, which settles it across a daylight-saving change.
 */
export function instantOfWallClock(wall: string, zone: string): Date {
  // ECMAScript's date-time format takes minutes with or without seconds (ECMA-262, Date Time String Format).
  const asUtc = Date.parse(`${wall}Z`);
  const offsetAt = (ms: number) => Date.parse(`${wallClockIn(new Date(ms), zone)}Z`) - ms;
  let guess = asUtc - offsetAt(asUtc);
  guess = asUtc - offsetAt(guess);
  return new Date(guess);
}

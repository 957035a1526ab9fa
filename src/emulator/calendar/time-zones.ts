/**
 * Time zones as Outlook names them. Graph takes and returns Windows zone names ("W. Europe Standard
 * Time") in dateTimeTimeZone values and in `Prefer: outlook.timezone`, and also accepts IANA names
 * (https://learn.microsoft.com/graph/api/resources/datetimetimezone). The emulator maps the common
 * Windows names to IANA zones (the "001" rows of CLDR's windowsZones table) and lets the platform's
 * time zone data do the arithmetic, daylight saving time included.
 */
const WINDOWS_TO_IANA: Readonly<Record<string, string>> = {
  UTC: 'UTC',
  'Dateline Standard Time': 'Etc/GMT+12',
  'Hawaiian Standard Time': 'Pacific/Honolulu',
  'Alaskan Standard Time': 'America/Anchorage',
  'Pacific Standard Time': 'America/Los_Angeles',
  'US Mountain Standard Time': 'America/Phoenix',
  'Mountain Standard Time': 'America/Denver',
  'Central Standard Time': 'America/Chicago',
  'Central Standard Time (Mexico)': 'America/Mexico_City',
  'SA Pacific Standard Time': 'America/Bogota',
  'Eastern Standard Time': 'America/New_York',
  'Atlantic Standard Time': 'America/Halifax',
  'Pacific SA Standard Time': 'America/Santiago',
  'Newfoundland Standard Time': 'America/St_Johns',
  'E. South America Standard Time': 'America/Sao_Paulo',
  'Argentina Standard Time': 'America/Buenos_Aires',
  'Greenwich Standard Time': 'Atlantic/Reykjavik',
  'GMT Standard Time': 'Europe/London',
  'Morocco Standard Time': 'Africa/Casablanca',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Central Europe Standard Time': 'Europe/Budapest',
  'Romance Standard Time': 'Europe/Paris',
  'Central European Standard Time': 'Europe/Warsaw',
  'W. Central Africa Standard Time': 'Africa/Lagos',
  'GTB Standard Time': 'Europe/Bucharest',
  'E. Europe Standard Time': 'Europe/Chisinau',
  'FLE Standard Time': 'Europe/Kiev',
  'Egypt Standard Time': 'Africa/Cairo',
  'South Africa Standard Time': 'Africa/Johannesburg',
  'Israel Standard Time': 'Asia/Jerusalem',
  'Turkey Standard Time': 'Europe/Istanbul',
  'Russian Standard Time': 'Europe/Moscow',
  'Iran Standard Time': 'Asia/Tehran',
  'Arabian Standard Time': 'Asia/Dubai',
  'Pakistan Standard Time': 'Asia/Karachi',
  'India Standard Time': 'Asia/Calcutta',
  'Nepal Standard Time': 'Asia/Katmandu',
  'SE Asia Standard Time': 'Asia/Bangkok',
  'China Standard Time': 'Asia/Shanghai',
  'Singapore Standard Time': 'Asia/Singapore',
  'Taipei Standard Time': 'Asia/Taipei',
  'W. Australia Standard Time': 'Australia/Perth',
  'Tokyo Standard Time': 'Asia/Tokyo',
  'Korea Standard Time': 'Asia/Seoul',
  'Cen. Australia Standard Time': 'Australia/Adelaide',
  'E. Australia Standard Time': 'Australia/Brisbane',
  'AUS Eastern Standard Time': 'Australia/Sydney',
  'New Zealand Standard Time': 'Pacific/Auckland',
  'Line Islands Standard Time': 'Pacific/Kiritimati',
};

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The IANA zone a Windows or IANA name stands for; undefined for a name neither knows. */
export function ianaZone(name: string): string | undefined {
  const mapped = WINDOWS_TO_IANA[name];
  if (mapped) return mapped;
  try {
    formatter(name);
    return name;
  } catch {
    return undefined;
  }
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall clock in `zone` at `utcMs`. */
export function wallClockAt(utcMs: number, zone: string): WallClock {
  const wall = new Date(utcMs + zoneOffsetMs(utcMs, zone));
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
  };
}

/** The zones above change their offsets only on quarter hours of UTC (their daylight-saving transitions). */
const OFFSET_BUCKET_MS = 15 * 60_000;
const offsets = new Map<string, number>();

/**
 * The zone's offset from UTC at `utcMs`, asked of the platform's time zone data once per zone and
 * quarter hour: formatToParts was a sixth of the emulator's time in bench:calendar.
 */
function zoneOffsetMs(utcMs: number, zone: string): number {
  if (zone === 'UTC') return 0;
  const bucket = Math.floor(utcMs / OFFSET_BUCKET_MS);
  const key = `${zone}\u0000${bucket}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const at = bucket * OFFSET_BUCKET_MS;
    const parts = Object.fromEntries(
      formatter(zone)
        .formatToParts(new Date(at))
        .map((p) => [p.type, p.value]),
    );
    const wallAsUtc = Date.UTC(
      Number(parts.year),
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour) % 24,
      Number(parts.minute),
      Number(parts.second),
    );
    offset = wallAsUtc - at;
    if (offsets.size > 200_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

/**
 * The instant a wall-clock time in `zone` stands for. A time skipped by a daylight-saving change
 * moves forward by the gap, as Outlook does; a repeated one takes the first (daylight) instant.
 */
export function instantOf(wall: WallClock, zone: string): number {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  // The offsets on either side of the one transition a day can hold.
  const before = asUtc - zoneOffsetMs(asUtc - 12 * 3_600_000, zone);
  const after = asUtc - zoneOffsetMs(asUtc + 12 * 3_600_000, zone);
  const valid = [before, after].filter((candidate) => sameWall(wallClockAt(candidate, zone), wall));
  return valid.length > 0 ? Math.min(...valid) : before;
}

function sameWall(a: WallClock, b: WallClock): boolean {
  return (
    a.year === b.year &&
    a.month === b.month &&
    a.day === b.day &&
    a.hour === b.hour &&
    a.minute === b.minute &&
    a.second === b.second
  );
}

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** `2025-03-10T09:00:00` (or with fractions) as a wall clock; undefined when it is not one. */
export function parseWallClock(text: string): WallClock | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,7})?)?$/.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0)) as number[];
  if (month! < 1 || month! > 12 || day! < 1 || day! > 31 || hour! > 23 || minute! > 59 || second! > 59)
    return undefined;
  return { year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second: second! };
}

/** Graph's output form: seven fractional digits, no offset (`2016-12-09T20:30:00.0000000`). */
export function formatWallClock(w: WallClock): string {
  const p = (n: number, size = 2) => String(n).padStart(size, '0');
  return `${p(w.year, 4)}-${p(w.month)}-${p(w.day)}T${p(w.hour)}:${p(w.minute)}:${p(w.second)}.0000000`;
}

using System.Globalization;

namespace PgUsers.Driver;

/// <summary>
/// PostgreSQL's ISO text for dates and timestamps that DateTime cannot hold (before year 1, after 9999):
/// "5874897-01-01", "0044-03-15 BC", "294276-12-31 23:59:59.999999+00". Computed from the binary form
/// (days or microseconds since 2000-01-01) with the proleptic Gregorian calendar PostgreSQL uses.
/// </summary>
internal static class PgTime
{
    /// <summary>2000-01-01, PostgreSQL's epoch for dates and timestamps in their binary form, in .NET ticks.</summary>
    public const long TicksAt2000 = 630822816000000000L;

    private const long DaysFrom1970To2000 = 10957;
    private const long MicrosPerDay = 86_400_000_000;

    public static string Date(long days)
    {
        var (year, month, day) = Civil(days);
        return Format(year, month, day, null);
    }

    /// <param name="zone">A timestamptz: its UTC time, marked +00.</param>
    public static string Timestamp(long micros, bool zone)
    {
        long days = Math.DivRem(micros, MicrosPerDay, out long time);
        if (time < 0)
        {
            time += MicrosPerDay;
            days--;
        }
        var (year, month, day) = Civil(days);
        long seconds = time / 1_000_000, fraction = time % 1_000_000;
        string clock = string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:00}:{seconds / 60 % 60:00}:{seconds % 60:00}");
        if (fraction != 0) clock += "." + fraction.ToString("000000", CultureInfo.InvariantCulture).TrimEnd('0');
        return Format(year, month, day, clock + (zone ? "+00" : ""));
    }

    private static string Format(long year, int month, int day, string? clock)
    {
        // PostgreSQL has no year 0: astronomical year 0 is 1 BC.
        bool bc = year <= 0;
        long shown = bc ? 1 - year : year;
        string text = string.Create(CultureInfo.InvariantCulture, $"{shown:0000}-{month:00}-{day:00}");
        if (clock is not null) text += " " + clock;
        return bc ? text + " BC" : text;
    }

    /// <summary>Year, month, day of a day count from 2000-01-01 (Hinnant's civil_from_days).</summary>
    private static (long Year, int Month, int Day) Civil(long days)
    {
        long z = days + DaysFrom1970To2000 + 719468;
        long era = (z >= 0 ? z : z - 146096) / 146097;
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int)(doy - (153 * mp + 2) / 5 + 1);
        int month = (int)(mp < 10 ? mp + 3 : mp - 9);
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day);
    }
}

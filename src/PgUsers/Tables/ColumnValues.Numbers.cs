using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace PgUsers.Tables;

/// <summary>Whole numbers, numeric(p,s), floating point and booleans.</summary>
internal static partial class ColumnValues
{
    private static readonly Regex s_wholeNumber = new(@"^[+-]?[0-9]+$", RegexOptions.CultureInvariant);
    private static readonly Regex s_decimal = new(@"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$", RegexOptions.CultureInvariant);

    private static object? ToWhole(object raw, long min, long max, string type, out string? problem)
    {
        problem = null;
        long? whole;
        switch (raw)
        {
            case long l: whole = l; break;
            case int i: whole = i; break;
            case short s: whole = s; break;
            case byte b: whole = b; break;
            case sbyte sb: whole = sb; break;
            case ushort us: whole = us; break;
            case uint ui: whole = ui; break;
            case ulong ul when ul <= long.MaxValue: whole = (long)ul; break;
            case BigInteger big when big >= long.MinValue && big <= long.MaxValue: whole = (long)big; break;
            case decimal m when decimal.Truncate(m) == m && m >= long.MinValue && m <= long.MaxValue: whole = (long)m; break;
            // 2^63 as a double is out of range; anything below it converts exactly when it is whole.
            case double d when Math.Floor(d) == d && d >= -9.2233720368547758E18 && d < 9.2233720368547758E18: whole = (long)d; break;
            case float f when Math.Floor(f) == f && f >= -9.2233720368547758E18f && f < 9.2233720368547758E18f: whole = (long)f; break;
            case ulong or BigInteger:
                problem = $"is out of range for {type}";
                return null;
            case decimal or double or float:
                problem = $"is not a whole number in {type}'s range";
                return null;
            case string text:
                text = text.Trim();
                if (!s_wholeNumber.IsMatch(text))
                {
                    problem = "is not a whole number (digits only, such as 42)";
                    return null;
                }
                if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long parsed))
                {
                    problem = $"is out of range for {type}";
                    return null;
                }
                whole = parsed;
                break;
            default:
                problem = $"is a {raw.GetType().Name}, not a whole number";
                return null;
        }
        if (whole < min || whole > max)
        {
            problem = $"is out of range for {type} ({min} to {max})";
            return null;
        }
        return whole;
    }

    private static object? ToNumeric(object raw, int? precision, int? scale, out string? problem)
    {
        problem = null;
        decimal number;
        switch (raw)
        {
            case decimal m: number = m; break;
            case long or int or short or byte or sbyte or ushort or uint or ulong: number = Convert.ToDecimal(raw, CultureInfo.InvariantCulture); break;
            case BigInteger big when big >= (BigInteger)decimal.MinValue && big <= (BigInteger)decimal.MaxValue: number = (decimal)big; break;
            // A double's shortest round-trip text is the number the user wrote; its binary expansion is not.
            case double or float when raw is double d ? double.IsFinite(d) : float.IsFinite((float)raw):
                if (!decimal.TryParse(((IFormattable)raw).ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out number))
                {
                    problem = "is out of range for numeric";
                    return null;
                }
                break;
            case string text when s_decimal.IsMatch(text.Trim()):
                if (!decimal.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out number))
                {
                    problem = "has more digits than this module carries (28)";
                    return null;
                }
                break;
            case string:
                problem = "is not a number (such as 12.50)";
                return null;
            default:
                problem = $"is a {raw.GetType().Name}, not a number";
                return null;
        }
        if (scale is int s)
        {
            int places = DecimalPlaces(number);
            if (places > s)
            {
                problem = $"has {places} decimal places; the column keeps {s} (numeric({precision},{s})) and would round it";
                return null;
            }
            if (precision is int p && IntegerDigits(number) > p - s)
            {
                problem = $"has too many digits before the decimal point for numeric({p},{s}) (at most {p - s})";
                return null;
            }
        }
        return number;
    }

    private static int DecimalPlaces(decimal number)
    {
        number /= 1.000000000000000000000000000000000m;   // drops trailing zeros: 1.50 has one place
        return (decimal.GetBits(number)[3] >> 16) & 0xFF;
    }

    private static int IntegerDigits(decimal number)
    {
        var whole = decimal.Truncate(Math.Abs(number));
        return whole == 0 ? 0 : whole.ToString(CultureInfo.InvariantCulture).Length;
    }

    private static object? ToFloat(object raw, bool single, out string? problem)
    {
        problem = null;
        double number;
        switch (raw)
        {
            case double d: number = d; break;
            case float f: number = f; break;
            case decimal or long or int or short or byte or sbyte or ushort or uint or ulong or BigInteger:
                number = Convert.ToDouble(raw, CultureInfo.InvariantCulture);
                break;
            case string text:
                text = text.Trim();
                if (text is "NaN" or "Infinity" or "-Infinity") number = double.Parse(text, CultureInfo.InvariantCulture);
                else if (!s_decimal.IsMatch(text) || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number))
                {
                    problem = "is not a number (such as 1.5, 2e-3, NaN or Infinity)";
                    return null;
                }
                break;
            default:
                problem = $"is a {raw.GetType().Name}, not a number";
                return null;
        }
        if (!single) return number;
        if (double.IsFinite(number) && Math.Abs(number) > float.MaxValue)
        {
            problem = "is out of range for real";
            return null;
        }
        return (float)number;
    }

    private static object? ToBoolean(object raw, out string? problem)
    {
        problem = null;
        switch (raw)
        {
            case bool b: return b;
            case int or long or short or byte when Convert.ToInt64(raw, CultureInfo.InvariantCulture) is 0 or 1:
                return Convert.ToInt64(raw, CultureInfo.InvariantCulture) == 1;
            case string text:
                // PostgreSQL's own spellings.
                switch (text.Trim().ToLowerInvariant())
                {
                    case "true" or "t" or "yes" or "y" or "on" or "1": return true;
                    case "false" or "f" or "no" or "n" or "off" or "0": return false;
                }
                problem = "is not a boolean (true, false, t, f, yes, no, 1 or 0)";
                return null;
            default:
                problem = $"is a {raw.GetType().Name}, not a boolean";
                return null;
        }
    }
}

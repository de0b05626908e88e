namespace PgUsers.Engine;

/// <summary>libpq's target_session_attrs words for <see cref="TargetSession"/>.</summary>
internal static class TargetSessions
{
    /// <summary>The words -TargetSessionAttrs takes: libpq's six, and Npgsql's prefer-primary.</summary>
    public const string Any = "any", ReadWrite = "read-write", ReadOnly = "read-only", Primary = "primary",
        Standby = "standby", PreferStandby = "prefer-standby", PreferPrimary = "prefer-primary";

    private static readonly (string Text, TargetSession Value)[] s_names =
    {
        (Any, TargetSession.Any), (ReadWrite, TargetSession.ReadWrite), (ReadOnly, TargetSession.ReadOnly),
        (Primary, TargetSession.Primary), (Standby, TargetSession.Standby), (PreferStandby, TargetSession.PreferStandby),
        (PreferPrimary, TargetSession.PreferPrimary),
    };

    /// <summary>Parses a word (case-insensitive, as ValidateSet accepts it); null or empty is Default.</summary>
    public static TargetSession Parse(string? text)
    {
        if (string.IsNullOrEmpty(text)) return TargetSession.Default;
        foreach (var (name, value) in s_names)
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase)) return value;
        }
        throw new ArgumentException($"'{text}' is not a target session kind: use one of {string.Join(", ", s_names.Select(n => n.Text))}.");
    }

    public static string Name(TargetSession target) =>
        target == TargetSession.Default ? "default" : s_names.First(n => n.Value == target).Text;
}

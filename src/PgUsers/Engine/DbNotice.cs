namespace PgUsers;

/// <summary>A message the server sent while a statement ran (RAISE NOTICE, RAISE WARNING…): the MessageData of its InformationRecord.</summary>
public sealed class DbNotice
{
    internal DbNotice(string severity, string sqlState, string messageText, string? detail, string? hint)
    {
        Severity = severity;
        SqlState = sqlState;
        MessageText = messageText;
        Detail = string.IsNullOrEmpty(detail) ? null : detail;
        Hint = string.IsNullOrEmpty(hint) ? null : hint;
    }

    /// <summary>NOTICE, INFO, LOG, WARNING or DEBUG (the server's untranslated word).</summary>
    public string Severity { get; }
    /// <summary>The five-character SQLSTATE code (00000 for a plain RAISE NOTICE, 01000 for a warning).</summary>
    public string SqlState { get; }
    /// <summary>The message itself.</summary>
    public string MessageText { get; }
    /// <summary>The DETAIL line, when the server sent one.</summary>
    public string? Detail { get; }
    /// <summary>The HINT line, when the server sent one.</summary>
    public string? Hint { get; }

    /// <summary>The message, then its DETAIL and HINT lines as psql shows them.</summary>
    public override string ToString()
        => MessageText + (Detail is null ? "" : "\nDETAIL:  " + Detail) + (Hint is null ? "" : "\nHINT:  " + Hint);
}

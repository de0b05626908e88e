using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Text;
using System.Text.Json;

namespace PgUsers.Rows;

/// <summary>A parameter value already turned into JSON text; the engine sends it untyped, so the server reads it as json or jsonb.</summary>
internal sealed class JsonText
{
    public JsonText(string text) => Text = text;

    public string Text { get; }

    public override string ToString() => Text;
}

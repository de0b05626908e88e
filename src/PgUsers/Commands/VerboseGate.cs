using System.Management.Automation;

namespace PgUsers.Commands;

/// <summary>
/// Whether a command's WriteVerbose would show anything, asked once per call. PowerShell looks
/// $VerbosePreference up through the scopes on every WriteVerbose (it does not cache it per command), and
/// the text is built before that: a command that writes verbose lines on every small call asks here first
/// and skips both the formatting and the lookups when verbose output is off.
/// </summary>
internal static class VerboseGate
{
    /// <summary>PowerShell's own order: -Verbose on the call, then -Debug (which shows verbose too), then $VerbosePreference.</summary>
    public static bool IsOpen(PSCmdlet cmdlet)
    {
        var bound = cmdlet.MyInvocation.BoundParameters;
        if (bound.TryGetValue("Verbose", out var verbose)) return IsSet(verbose);
        if (bound.TryGetValue("Debug", out var debug) && IsSet(debug)) return true;
        // A value PowerShell cannot read as a preference: let WriteVerbose decide (and report it), as before.
        return !LanguagePrimitives.TryConvertTo(cmdlet.GetVariableValue("VerbosePreference"), out ActionPreference preference)
            || preference is not (ActionPreference.SilentlyContinue or ActionPreference.Ignore);
    }

    private static bool IsSet(object? value) => value is SwitchParameter switchParameter ? switchParameter.IsPresent : LanguagePrimitives.IsTrue(value);
}

using System.Management.Automation;

namespace PgUsers;

/// <summary>Remove-Module PgUsers disposes the engines and sandboxes this runspace made.</summary>
public sealed class ModuleCleanup : IModuleAssemblyCleanup
{
    /// <summary>Called by PowerShell when the module is removed.</summary>
    public void OnRemove(PSModuleInfo psModuleInfo) => RunspaceState.Current.DisposeAll();
}

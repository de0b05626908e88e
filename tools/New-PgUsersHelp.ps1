#Requires -Version 7.4
<#
.SYNOPSIS
Writes module/en-US/PgUsers.dll-Help.xml (MAML) from docs/en-US/*.psd1 and the built module.

.DESCRIPTION
The words (synopsis, description, parameter text, examples) are written by hand in
docs/en-US/<Cmdlet>.psd1. The facts of each parameter (type, required, position, pipeline
input, aliases, wildcards, default) are read from the cmdlet in the built module, so the help
cannot drift from the code. A cmdlet that is documented but not yet in the module takes its
facts from the Planned list of its psd1.

Run after `dotnet build PgUsers.sln`, with pwsh or, where there is no pwsh, with the test host:
    dotnet run --project tests/PgUsers.Host -- tools/New-PgUsersHelp.ps1
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '..' 'out' 'PgUsers' 'PgUsers.psd1'),
    [string] $SourcePath = (Join-Path $PSScriptRoot '..' 'docs' 'en-US'),
    [string] $OutFile = (Join-Path $PSScriptRoot '..' 'module' 'en-US' 'PgUsers.dll-Help.xml')
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
$module = Get-Module PgUsers
$shared = Import-PowerShellDataFile (Join-Path $SourcePath '_Shared.psd1')
$common = [System.Management.Automation.Cmdlet]::CommonParameters

$ns = @{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
}

function Get-ShortTypeName($Type) {
    if ($Type -isnot [type]) { return $Type.Name }
    $inner = [Nullable]::GetUnderlyingType($Type)
    if ($inner) { $Type = $inner }
    if ($Type.IsArray) { return (Get-ShortTypeName $Type.GetElementType()) + '[]' }
    $Type.Name
}

function Get-FullTypeName($Type) {
    if ($Type -isnot [type]) { return $Type.FullName }
    $inner = [Nullable]::GetUnderlyingType($Type)
    if ($inner) { $Type = $inner }
    $Type.FullName
}

# One parameter as the help shows it. The same rule is checked by tests/PgUsers.Tests/HelpTests.cs:
# required when mandatory in every set it is in, the position it has in a set, pipeline input from any set.
function Get-ParameterFacts($Command, [string] $Name) {
    $meta = $Command.Parameters[$Name]
    $sets = @($meta.ParameterSets.Values)
    $positions = @($sets | Where-Object Position -ge 0 | ForEach-Object Position)
    $pipeline = @(
        if ($sets | Where-Object ValueFromPipelineByPropertyName) { 'ByPropertyName' }
        if ($sets | Where-Object ValueFromPipeline) { 'ByValue' }
    )
    $required = @($sets | Where-Object { -not $_.IsMandatory }).Count -eq 0
    [pscustomobject]@{
        Name     = $Name
        Type     = $meta.ParameterType
        IsSwitch = $meta.SwitchParameter
        Required = $required
        Position = if ($positions.Count) { [string]$positions[0] } else { 'named' }
        Pipeline = if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }
        Aliases  = $meta.Aliases -join ', '
        Globbing = [bool]($meta.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
        # A required parameter has no default, whatever its property starts as.
        Default  = if ($required) { 'None' } else { Get-DefaultText $Command $Name $meta }
    }
}

# The default is what a fresh cmdlet object holds, so it is the code's own value.
function Get-DefaultText($Command, [string] $Name, $Meta) {
    if ($Meta.SwitchParameter) { return 'False' }
    $property = $Command.ImplementingType.GetProperty($Name)
    if (-not $property) { return 'None' }
    $value = $property.GetValue([Activator]::CreateInstance($Command.ImplementingType))
    if ($null -eq $value -or ($value -is [string] -and $value -eq '') -or ($value -is [array] -and $value.Count -eq 0)) { return 'None' }
    [string]$value
}

# A planned type may not exist yet in the module documented: then a stand-in keeps its name.
function Get-PlannedType([string] $Name) {
    $type = $Name -as [type]
    if ($type) { return $type }
    [pscustomobject]@{ Name = $Name.Split('.')[-1]; FullName = $Name; IsArray = $Name.EndsWith('[]') }
}

function Get-PlannedFacts($Entry) {
    $pipeline = if ($Entry.Pipeline) { "True ($($Entry.Pipeline))" } else { 'False' }
    $type = Get-PlannedType $Entry.Type
    [pscustomobject]@{
        Name     = $Entry.Name
        Type     = $type
        IsSwitch = $type -eq [switch]
        Required = [bool]$Entry.Required
        Position = if ($null -ne $Entry.Position) { [string]$Entry.Position } else { 'named' }
        Pipeline = $pipeline
        Aliases  = [string]$Entry.Aliases
        Globbing = [bool]$Entry.Wildcards
        Default  = if ($null -ne $Entry.Default) { [string]$Entry.Default } elseif ($type -eq [switch]) { 'False' } else { 'None' }
    }
}

function Get-ParameterText($Doc, [string] $Name) {
    $entry = if ($Doc.Parameters -and $Doc.Parameters.ContainsKey($Name)) { $Doc.Parameters[$Name] } else { $shared.Parameters[$Name] }
    if ($entry -is [hashtable]) { return $entry }
    @{ Description = $entry }
}

function Write-Paras($Writer, [string] $Text) {
    foreach ($para in ($Text.Trim() -split '\r?\n\s*\r?\n')) {
        $Writer.WriteElementString('maml', 'para', $ns.maml, ($para -replace '\s*\r?\n\s*', ' ').Trim())
    }
}

function Write-Description($Writer, [string] $Text) {
    $Writer.WriteStartElement('maml', 'description', $ns.maml)
    if ($Text) { Write-Paras $Writer $Text }
    $Writer.WriteEndElement()
}

function Write-Type($Writer, [string] $Name, [string] $Text) {
    $Writer.WriteStartElement('dev', 'type', $ns.dev)
    $Writer.WriteElementString('maml', 'name', $ns.maml, $Name)
    $Writer.WriteEndElement()
    Write-Description $Writer $Text
}

function Write-TypeList($Writer, [string] $List, [string] $Item, $Entries) {
    $Writer.WriteStartElement('command', $List, $ns.command)
    foreach ($entry in $Entries) {
        $Writer.WriteStartElement('command', $Item, $ns.command)
        Write-Type $Writer $entry.Type $entry.Description
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}

function Write-Parameter($Writer, $Facts, $Doc, [bool] $InSyntax, [bool] $Required, [string] $Position) {
    $text = Get-ParameterText $Doc $Facts.Name
    $Writer.WriteStartElement('command', 'parameter', $ns.command)
    $Writer.WriteAttributeString('required', $Required.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', $Facts.Type.IsArray.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('globbing', $Facts.Globbing.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', $Facts.Pipeline)
    $Writer.WriteAttributeString('position', $Position)
    $Writer.WriteAttributeString('aliases', $(if ($Facts.Aliases) { $Facts.Aliases } else { 'none' }))
    $Writer.WriteElementString('maml', 'name', $ns.maml, $Facts.Name)
    Write-Description $Writer $text.Description
    if (-not $Facts.IsSwitch) {
        $Writer.WriteStartElement('command', 'parameterValue', $ns.command)
        $Writer.WriteAttributeString('required', 'true')
        $Writer.WriteAttributeString('variableLength', $Facts.Type.IsArray.ToString().ToLowerInvariant())
        $Writer.WriteString((Get-ShortTypeName $Facts.Type))
        $Writer.WriteEndElement()
    }
    if (-not $InSyntax) {
        $Writer.WriteStartElement('dev', 'type', $ns.dev)
        $Writer.WriteElementString('maml', 'name', $ns.maml, (Get-FullTypeName $Facts.Type))
        $Writer.WriteEndElement()
        $default = if ($text.Default) { $text.Default } else { $Facts.Default }
        $Writer.WriteElementString('dev', 'defaultValue', $ns.dev, $default)
    }
    $Writer.WriteEndElement()
}

# Syntax lines: one per parameter set, positional parameters first, as Get-Command orders them.
function Get-SyntaxSets($Command, $Doc) {
    if (-not $Command) {
        return , @{ Parameters = @($Doc.Planned | ForEach-Object { Get-PlannedFacts $_ } | ForEach-Object {
                    @{ Facts = $_; Required = $_.Required; Position = $_.Position } }) }
    }
    foreach ($set in $Command.ParameterSets) {
        $declared = @($set.Parameters.Name)
        $params = $set.Parameters | Where-Object Name -notin $common | Sort-Object `
            @{ Expression = { if ($_.Position -ge 0) { $_.Position } else { [int]::MaxValue } } },
            @{ Expression = { -not $_.IsMandatory } }, @{ Expression = { $declared.IndexOf($_.Name) } }
        @{ Parameters = @($params | ForEach-Object {
                    @{ Facts = Get-ParameterFacts $Command $_.Name; Required = $_.IsMandatory
                        Position = if ($_.Position -ge 0) { [string]$_.Position } else { 'named' } } }) }
    }
}

function Write-Command($Writer, $Doc) {
    $name = $Doc.Name
    $command = Get-Command $name -Module PgUsers -ErrorAction SilentlyContinue
    if (-not $command -and -not $Doc.Planned) { throw "$name is not in the module and its help has no Planned parameters." }
    if (-not $command) { Write-Warning "$name is not in the module yet: its parameters come from the Planned list." }
    $verb, $noun = $name -split '-', 2
    $sets = @(Get-SyntaxSets $command $Doc)

    $Writer.WriteStartElement('command', 'command', $ns.command)
    $Writer.WriteStartElement('command', 'details', $ns.command)
    $Writer.WriteElementString('command', 'name', $ns.command, $name)
    $Writer.WriteElementString('command', 'verb', $ns.command, $verb)
    $Writer.WriteElementString('command', 'noun', $ns.command, $noun)
    Write-Description $Writer $Doc.Synopsis
    $Writer.WriteEndElement()
    Write-Description $Writer $Doc.Description

    $Writer.WriteStartElement('command', 'syntax', $ns.command)
    foreach ($set in $sets) {
        $Writer.WriteStartElement('command', 'syntaxItem', $ns.command)
        $Writer.WriteElementString('maml', 'name', $ns.maml, $name)
        foreach ($p in $set.Parameters) { Write-Parameter $Writer $p.Facts $Doc $true $p.Required $p.Position }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'parameters', $ns.command)
    $seen = @{}
    foreach ($p in $sets.Parameters) {
        if ($seen.ContainsKey($p.Facts.Name)) { continue }
        $seen[$p.Facts.Name] = $true
        Write-Parameter $Writer $p.Facts $Doc $false $p.Facts.Required $p.Facts.Position
    }
    $Writer.WriteEndElement()

    Write-TypeList $Writer 'inputTypes' 'inputType' $Doc.Inputs
    Write-TypeList $Writer 'returnValues' 'returnValue' $Doc.Outputs

    if ($Doc.Notes) {
        $Writer.WriteStartElement('maml', 'alertSet', $ns.maml)
        $Writer.WriteStartElement('maml', 'alert', $ns.maml)
        Write-Paras $Writer $Doc.Notes
        $Writer.WriteEndElement()
        $Writer.WriteEndElement()
    }

    $Writer.WriteStartElement('command', 'examples', $ns.command)
    $number = 0
    foreach ($example in $Doc.Examples) {
        $number++
        $Writer.WriteStartElement('command', 'example', $ns.command)
        $Writer.WriteElementString('maml', 'title', $ns.maml, "--------- Example ${number}: $($example.Title) ---------")
        # Sample output follows the code after a blank line, as in PowerShell's own help.
        $code = $example.Code.Trim()
        if ($example.Output) { $code += "`n`n" + $example.Output.TrimEnd() }
        $Writer.WriteElementString('dev', 'code', $ns.dev, $code)
        $Writer.WriteStartElement('dev', 'remarks', $ns.dev)
        Write-Paras $Writer $example.Remarks
        $Writer.WriteEndElement()
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'relatedLinks', $ns.command)
    foreach ($link in @($Doc.Links) + 'about_PgUsers') {
        $Writer.WriteStartElement('maml', 'navigationLink', $ns.maml)
        $Writer.WriteElementString('maml', 'linkText', $ns.maml, $link)
        $Writer.WriteElementString('maml', 'uri', $ns.maml, '')
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
    $Writer.WriteEndElement()
}

$docs = Get-ChildItem $SourcePath -Filter '*-*.psd1' | Sort-Object Name | ForEach-Object { Import-PowerShellDataFile $_.FullName }
$missing = (Get-Command -Module PgUsers).Name | Where-Object { $_ -notin $docs.Name }
if ($missing) { throw "No help source in $SourcePath for: $($missing -join ', ')" }

New-Item -ItemType Directory -Force (Split-Path $OutFile) | Out-Null
$settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false); NewLineChars = "`n" }
$writer = [System.Xml.XmlWriter]::Create([System.IO.Path]::GetFullPath($OutFile), $settings)
try {
    $writer.WriteStartDocument()
    $writer.WriteStartElement('helpItems', 'http://msh')
    $writer.WriteAttributeString('schema', 'maml')
    foreach ($prefix in $ns.Keys | Sort-Object) { $writer.WriteAttributeString('xmlns', $prefix, $null, $ns[$prefix]) }
    foreach ($doc in $docs) { Write-Command $writer $doc }
    $writer.WriteEndElement()
    $writer.WriteEndDocument()
}
finally {
    $writer.Dispose()
}
"Wrote help for $($docs.Count) cmdlets to $OutFile"

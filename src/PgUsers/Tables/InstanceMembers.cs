using System.Collections.Specialized;
using System.Linq.Expressions;
using System.Management.Automation;
using System.Reflection;

namespace PgUsers.Tables;

/// <summary>
/// A PSObject's own members (a PSCustomObject's note properties), read in place. PowerShell's public way,
/// PSObject.Properties, walks every adapter per lookup; its internal InstanceMembers collection copies itself
/// into a new list under a lock each time it is enumerated, which profiled at about 7 µs an object, more than
/// the rest of a row's load. The ordered dictionary behind it is read here by position instead.
/// </summary>
internal static class InstanceMembers
{
    // Null when PowerShell's internals differ from what this expects: callers then read members the public way.
    private static readonly Func<PSObject, OrderedDictionary?>? s_members = Build();

    /// <summary>True when members can be read in place in this PowerShell.</summary>
    public static bool Available => s_members is not null;

    /// <summary>The object's own members in the order they were added, or null when it has none (or they cannot be read in place).</summary>
    public static OrderedDictionary? Of(PSObject pso) => s_members?.Invoke(pso);

    /// <summary>The member of that name (any case) when it is a property a user gave the object, else null.</summary>
    public static PSPropertyInfo? Property(OrderedDictionary own, string name) =>
        own[name] is PSPropertyInfo property && IsUserProperty(property) ? property : null;

    /// <summary>
    /// True for the properties a user adds (note, script and alias properties): an object's own members also hold
    /// PowerShell's hidden ones (pstypenames, PSStandardMembers), which are no data.
    /// </summary>
    public static bool IsUserProperty(PSMemberInfo member) =>
        member is PSPropertyInfo && member.MemberType is PSMemberTypes.NoteProperty or PSMemberTypes.ScriptProperty or PSMemberTypes.AliasProperty;

    private static Func<PSObject, OrderedDictionary?>? Build()
    {
        try
        {
            const BindingFlags Any = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;
            var field = typeof(PSObject).GetField("_instanceMembers", Any);
            var members = field?.FieldType.GetProperty("Members", Any);
            if (field is null || members is null || members.PropertyType != typeof(OrderedDictionary)) return null;
            var pso = Expression.Parameter(typeof(PSObject), "pso");
            var collection = Expression.Variable(field.FieldType, "collection");
            var body = Expression.Block(new[] { collection },
                Expression.Assign(collection, Expression.Field(pso, field)),
                Expression.Condition(Expression.Equal(collection, Expression.Constant(null, field.FieldType)),
                    Expression.Constant(null, typeof(OrderedDictionary)), Expression.Property(collection, members)));
            return Expression.Lambda<Func<PSObject, OrderedDictionary?>>(body, pso).Compile();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or MemberAccessException)
        {
            return null;
        }
    }
}

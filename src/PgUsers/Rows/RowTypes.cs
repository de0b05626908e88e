using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;

namespace PgUsers.Rows;

/// <summary>
/// Makes one <see cref="DbRow"/> subclass per distinct column list, with a real object-typed property per
/// column. Why not a PSObject of note properties: building one costs several times the raw read. Why not a
/// PSPropertyAdapter: ConvertTo-Json and the language's fast member access only see real .NET properties.
/// </summary>
internal static class RowTypes
{
    private static readonly object s_emitLock = new();
    // Generated types live as long as the process; past this many column lists (a script generating
    // ad-hoc aliases, say) rows fall back to PSObjects of note properties: slower, but bounded.
    private const int MaxTypes = 2000;
    private static readonly ConcurrentDictionary<string, Func<object?[], object>> s_factories = new(StringComparer.Ordinal);
    private static readonly ConstructorInfo s_baseConstructor =
        typeof(DbRow).GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic, new[] { typeof(string[]), typeof(object?[]) })!;
    private static readonly FieldInfo s_values = typeof(DbRow).GetField("Values", BindingFlags.Instance | BindingFlags.NonPublic)!;
    private static ModuleBuilder? s_module;
    private static int s_count;

    /// <summary>A factory for rows with these (already distinct) property names; made once per column list.</summary>
    public static Func<object?[], object> FactoryFor(string[] names)
    {
        string key = string.Join("\0", names);
        if (s_factories.TryGetValue(key, out var factory)) return factory;
        return Volatile.Read(ref s_count) >= MaxTypes ? values => NoteRow(names, values) : s_factories.GetOrAdd(key, _ => Emit(names));
    }

    private static System.Management.Automation.PSObject NoteRow(string[] names, object?[] values)
    {
        var row = new System.Management.Automation.PSObject();
        for (int i = 0; i < names.Length; i++) row.Properties.Add(new System.Management.Automation.PSNoteProperty(names[i], values[i]));
        return row;
    }

    private static Func<object?[], object> Emit(string[] names)
    {
        Type type;
        lock (s_emitLock)
        {
            s_module ??= AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("PgUsers.Rows"), AssemblyBuilderAccess.Run)
                .DefineDynamicModule("PgUsers.Rows");
            var builder = s_module.DefineType($"PgUsers.Rows.DbRow{++s_count}", TypeAttributes.Public | TypeAttributes.Sealed, typeof(DbRow));
            DefineConstructor(builder);
            for (int i = 0; i < names.Length; i++) DefineProperty(builder, names[i], i);
            type = builder.CreateType();
        }
        var constructor = type.GetConstructor(new[] { typeof(string[]), typeof(object?[]) })!;
        // One compiled call per row: new DbRowN(names, values).
        var method = new DynamicMethod("New" + type.Name, typeof(DbRow), new[] { typeof(string[]), typeof(object?[]) }, type, skipVisibility: true);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Newobj, constructor);
        il.Emit(OpCodes.Ret);
        var create = (Func<object?[], DbRow>)method.CreateDelegate(typeof(Func<object?[], DbRow>), names);
        return create;
    }

    private static void DefineConstructor(TypeBuilder builder)
    {
        var constructor = builder.DefineConstructor(MethodAttributes.Public, CallingConventions.Standard, new[] { typeof(string[]), typeof(object?[]) });
        var il = constructor.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Ldarg_2);
        il.Emit(OpCodes.Call, s_baseConstructor);
        il.Emit(OpCodes.Ret);
    }

    /// <summary>public object? {name} { get => Values[index]; set => Values[index] = value; } — settable like a note property.</summary>
    private static void DefineProperty(TypeBuilder builder, string name, int index)
    {
        const MethodAttributes accessor = MethodAttributes.Public | MethodAttributes.SpecialName | MethodAttributes.HideBySig;
        var property = builder.DefineProperty(name, PropertyAttributes.None, typeof(object), null);

        var getter = builder.DefineMethod("get_" + name, accessor, typeof(object), Type.EmptyTypes);
        var il = getter.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, s_values);
        il.Emit(OpCodes.Ldc_I4, index);
        il.Emit(OpCodes.Ldelem_Ref);
        il.Emit(OpCodes.Ret);
        property.SetGetMethod(getter);

        var setter = builder.DefineMethod("set_" + name, accessor, null, new[] { typeof(object) });
        il = setter.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, s_values);
        il.Emit(OpCodes.Ldc_I4, index);
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Stelem_Ref);
        il.Emit(OpCodes.Ret);
        property.SetSetMethod(setter);
    }
}

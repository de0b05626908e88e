#pragma warning disable NPG9001, NPG9002 // Npgsql marks its converter API experimental; it is still the supported way to add type support.
using System.Buffers;
using System.Reflection;
using System.Text;
using Npgsql.Internal;
using Npgsql.Internal.Postgres;
using Npgsql.PostgresTypes;

namespace PgUsers.Driver;

/// <summary>
/// What Npgsql 10 refuses to read as object: composites (it wants a mapped CLR type) and types whose OID its
/// type cache does not know (created after the pool first connected). Composites are read with Npgsql's own
/// record converter (the binary formats are the same) into an object[]; <see cref="Values"/> names the fields.
/// An unknown OID is read as its bytes: text when they are clean UTF-8 (enums, citext, most text-like
/// extension types send their text), else PostgreSQL's hex form; <see cref="TypeCatalog"/> then reloads the cache.
/// </summary>
internal sealed class UnmappedTypes : PgTypeInfoResolverFactory
{
    private const string Unspecified = "-.-";

    // Npgsql keeps the type catalog of its serializer options internal; resolvers outside its assembly need it
    // to tell a composite from a type a later resolver in the chain handles.
    private static readonly PropertyInfo? s_databaseInfo =
        typeof(PgSerializerOptions).GetProperty("DatabaseInfo", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public);

    public override IPgTypeInfoResolver CreateResolver() => new Resolver();

    public override IPgTypeInfoResolver? CreateArrayResolver() => new ArrayResolver();

    // Extension types Npgsql reads itself.
    private static readonly HashSet<string> s_npgsqlReads = new(StringComparer.Ordinal) { "citext", "hstore", "ltree", "lquery", "ltxtquery", "cube" };

    private static PostgresType? Find(DataTypeName name, PgSerializerOptions options)
        => s_databaseInfo?.GetValue(options) is NpgsqlDatabaseInfo info && info.TryGetPostgresTypeByName(name.Value, out var type) ? type : null;

    private class Resolver : DynamicTypeInfoResolver
    {
        protected override DynamicMappingCollection? GetMappings(Type? type, DataTypeName dataTypeName, PgSerializerOptions options)
        {
            if (type is not null && type != typeof(object) && type != typeof(object[]) && type != typeof(string)) return null;
            var postgresType = dataTypeName.Value == Unspecified ? null : Find(dataTypeName, options);
            switch (postgresType)
            {
                case null when dataTypeName.Value == Unspecified && type != typeof(object[]):
                case PostgresBaseType when type != typeof(object[]) && IsForeignBaseType(postgresType):
                    return Map(typeof(string), dataTypeName, static options => new RawText());
                case PostgresBaseType { Namespace: "pg_catalog" } when (type is null || type == typeof(object)) && postgresType.Name.StartsWith("reg", StringComparison.Ordinal):
                    // regclass, regtype, regproc…: an OID on the wire, given as one (like the oid type).
                    return Map(typeof(object), dataTypeName, static options => new RawOid());
                case PostgresCompositeType when type != typeof(string):
                    return Map(typeof(object[]), dataTypeName, RecordConverter);
                default:
                    return null;
            }
        }

        private static DynamicMappingCollection Map(Type type, DataTypeName dataTypeName, Func<PgSerializerOptions, PgConverter> converter)
            => CreateCollection().AddMapping(type, dataTypeName,
                (options, mapping, _) => new PgTypeInfo(options, converter(options), new DataTypeName(mapping.DataTypeName)) { SupportsWriting = false },
                // DataTypeName also answers reads as object, which is how GetValue asks.
                static mapping => mapping with { MatchRequirement = MatchRequirement.DataTypeName });

        /// <summary>An extension's base type Npgsql has no converter for (PostGIS without its plugin, say).</summary>
        private static bool IsForeignBaseType(PostgresType type)
            => type.Namespace != "pg_catalog" && !s_npgsqlReads.Contains(type.Name);

        private static PgConverter RecordConverter(PgSerializerOptions options)
            => (options.GetTypeInfo(typeof(object[]), new DataTypeName("pg_catalog.record"))
                ?? throw new NotSupportedException("Npgsql reads no records here.")).GetObjectResolution(null).Converter;
    }

    private sealed class ArrayResolver : Resolver
    {
        protected override DynamicMappingCollection? GetMappings(Type? type, DataTypeName dataTypeName, PgSerializerOptions options)
        {
            if (type is not null && type != typeof(object)) return null;
            if (!IsArrayDataTypeName(dataTypeName, options, out var element) || Find(element, options) is not PostgresCompositeType) return null;
            return base.GetMappings(null, element, options)?.AddArrayMapping(typeof(object[]), element);
        }
    }

    private sealed class RawOid : PgBufferedConverter<object>
    {
        public override bool CanConvert(DataFormat format, out BufferRequirements bufferRequirements)
        {
            bufferRequirements = BufferRequirements.CreateFixedSize(sizeof(uint));
            return format is DataFormat.Binary;
        }

        protected override object ReadCore(PgReader reader) => reader.ReadUInt32();
        protected override void WriteCore(PgWriter writer, object value) => throw new NotSupportedException();
    }

    /// <summary>A value of a type nobody could name: its bytes as text when they are text, else \x and hex (as bytea shows).</summary>
    private sealed class RawText : PgStreamingConverter<string>
    {
        private static readonly UTF8Encoding s_strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        public override string Read(PgReader reader) => Decode(reader.ReadBytes(reader.CurrentRemaining).ToArray());

        public override async ValueTask<string> ReadAsync(PgReader reader, CancellationToken cancellationToken = default)
            => Decode((await reader.ReadBytesAsync(reader.CurrentRemaining, cancellationToken).ConfigureAwait(false)).ToArray());

        public static string Decode(byte[] bytes)
        {
            try
            {
                string text = s_strict.GetString(bytes);
                if (!text.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r'))) return text;
            }
            catch (DecoderFallbackException)
            {
            }
            return "\\x" + Convert.ToHexString(bytes).ToLowerInvariant();
        }

        public override Size GetSize(SizeContext context, string value, ref object? writeState) => throw new NotSupportedException();
        public override void Write(PgWriter writer, string value) => throw new NotSupportedException();
        public override ValueTask WriteAsync(PgWriter writer, string value, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}

/// <summary>
/// When the pool's type cache must be reloaded: after a statement that creates or changes types, or a read that met
/// a type the cache did not know. Each connection reloads once per change, before its next statement.
/// </summary>
internal sealed class TypeCatalog
{
    private static readonly System.Text.RegularExpressions.Regex s_typeDdl = new(
        @"\b(CREATE|ALTER|DROP)\s+(OR\s+REPLACE\s+)?(TYPE|DOMAIN|EXTENSION)\b",
        System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private int _generation;
    private int _loaded;

    /// <summary>Bumped each time the types changed; a connection that loaded an older one reloads.</summary>
    public int Generation => Volatile.Read(ref _generation);

    /// <summary>The newest generation some connection reloaded into the pool's shared cache (a connection opened since has it).</summary>
    public int Loaded => Volatile.Read(ref _loaded);

    public void Changed() => Interlocked.Increment(ref _generation);

    public void Reloaded(int generation)
    {
        int seen;
        while ((seen = Volatile.Read(ref _loaded)) < generation && Interlocked.CompareExchange(ref _loaded, generation, seen) != seen)
        {
        }
    }

    /// <summary>True for text that may create, change or drop a type (cheap: most statements never match).</summary>
    /// <remarks>
    /// Runs before every statement: the regex (about 1 µs on a 50-character statement) only looks at text that
    /// names one of its kinds of object at all (three ordinal scans, under 0.1 µs).
    /// </remarks>
    public static bool ChangesTypes(string sql) =>
        sql.Length > 10
        && (sql.Contains("TYPE", StringComparison.OrdinalIgnoreCase) || sql.Contains("DOMAIN", StringComparison.OrdinalIgnoreCase)
            || sql.Contains("EXTENSION", StringComparison.OrdinalIgnoreCase))
        && s_typeDdl.IsMatch(sql);
}

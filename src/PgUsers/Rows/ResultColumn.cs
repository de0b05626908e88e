namespace PgUsers.Rows;

/// <summary>
/// A column of a statement's result as the server describes it, before any row is read: its name,
/// its type's oid and that type's name with its modifier, as the driver writes it (character varying(255)).
/// </summary>
internal readonly record struct ResultColumn(string Name, uint TypeOid, string TypeName);

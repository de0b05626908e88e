using PgUsers.Tests.Infrastructure;

namespace PgUsers.Tests;

/// <summary>Get-DbTable: any table reflected from the catalog, with wildcards, a format view and tab completion.</summary>
public sealed class GetDbTableTests : DbTest
{
    public GetDbTableTests(ServerFixture server) : base(server)
    {
        Shell.Run("""
            New-DbEngine $url | Out-Null
            Invoke-DbQuery @'
            DROP TABLE IF EXISTS orders, customers, "Odd ""Name"".x", parted CASCADE;
            DROP VIEW IF EXISTS order_view;
            DROP TYPE IF EXISTS colour CASCADE;
            DROP DOMAIN IF EXISTS short_text CASCADE;
            CREATE TYPE colour AS ENUM ('red', 'green');
            CREATE DOMAIN short_text AS varchar(5);
            CREATE TABLE customers (id int PRIMARY KEY, email text UNIQUE);
            CREATE TABLE orders (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                customer_id int NOT NULL REFERENCES customers (id),
                code varchar(12) NOT NULL DEFAULT 'x',
                amount numeric(10,2),
                tags text[],
                shade colour,
                short short_text,
                doubled numeric GENERATED ALWAYS AS (amount * 2) STORED);
            CREATE INDEX orders_code ON orders (code);
            CREATE VIEW order_view AS SELECT id FROM orders;
            CREATE TABLE parted (d date) PARTITION BY RANGE (d);
            CREATE TABLE "Odd ""Name"".x" (a int);
            INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 100) g;
            ANALYZE customers;
            '@
            """);
    }

    [Fact]
    public void A_table_has_its_columns_keys_constraints_indexes_rows_and_size()
    {
        var orders = Shell.Run("Get-DbTable orders").Single();
        Assert.Equal("public", orders.Prop("Schema"));
        Assert.Equal("table", orders.Prop("Kind"));
        Assert.Equal(new[] { "id" }, (string[])orders.Prop("PrimaryKey")!);
        Assert.Contains((string[])orders.Prop("ForeignKeys")!, f => f.Contains("FOREIGN KEY (customer_id) REFERENCES customers(id)"));
        Assert.Contains((string[])orders.Prop("Indexes")!, i => i.Contains("orders_code") && i.Contains("(code)"));
        var list = Shell.Run("(Get-DbTable orders).Columns");
        Assert.Equal(new object?[] { "id", "customer_id", "code", "amount", "tags", "shade", "short", "doubled" }, list.Select(c => c.Prop("Name")));
        var columns = list.ToDictionary(c => (string)c.Prop("Name")!);
        Assert.Equal(new object?[] { "bigint", "ALWAYS", false }, new[] { columns["id"].Prop("Type"), columns["id"].Prop("Identity"), columns["id"].Prop("Nullable") });
        Assert.Equal(new object?[] { "character varying(12)", 12, "'x'::character varying" }, new[] { columns["code"].Prop("Type"), columns["code"].Prop("MaxLength"), columns["code"].Prop("Default") });
        Assert.Equal(new object?[] { "numeric(10,2)", 10, 2 }, new[] { columns["amount"].Prop("Type"), columns["amount"].Prop("Precision"), columns["amount"].Prop("Scale") });
        Assert.Equal(new object?[] { "text[]", "text" }, new[] { columns["tags"].Prop("Type"), columns["tags"].Prop("ElementType") });
        Assert.Equal(new[] { "red", "green" }, (string[])columns["shade"].Prop("EnumLabels")!);
        Assert.Equal("character varying(5)", columns["short"].Prop("DomainBaseType"));
        Assert.Equal(true, columns["doubled"].Prop("Generated"));

        var customers = Shell.Run("Get-DbTable customers").Single();
        Assert.Equal(100L, customers.Prop("EstimatedRows"));
        Assert.True((long)customers.Prop("SizeBytes")! > 0);
        Assert.Contains((string[])customers.Prop("UniqueConstraints")!, u => u.Contains("UNIQUE (email)"));
    }

    [Fact]
    public void Wildcards_views_partitioned_tables_and_odd_names()
    {
        var kinds = Shell.Run("Get-DbTable -Name * -Schema public").ToDictionary(t => (string)t.Prop("Name")!, t => (string)t.Prop("Kind")!);
        Assert.Equal("view", kinds["order_view"]);
        Assert.Equal("partitioned table", kinds["parted"]);
        Assert.Contains("Odd \"Name\".x", kinds.Keys);
        Assert.Equal(new object?[] { "order_view", "orders" }, Shell.Values("(Get-DbTable ORD*).Name"));
        Assert.Empty(Shell.Values("Get-DbTable -Schema pg_catalog -Name nothing_like_this*"));
        var missing = Shell.Invoke("Get-DbTable no_such_table");
        Assert.Equal("PgUsers.TableNotFound,PgUsers.Commands.GetDbTableCommand", missing.Error!.FullyQualifiedErrorId);
    }

    [Fact]
    public void The_format_view_shows_one_line_per_table()
    {
        string text = string.Join("\n", Shell.Values("'customers', 'orders' | ForEach-Object { Get-DbTable $_ } | Out-String -Width 200"));
        Assert.Contains("Schema", text);
        Assert.Contains("EstimatedRows", text);
        Assert.Matches(@"public\s+customers\s+table\s+2\s+id\s+100", text);
    }

    [Fact]
    public void Table_names_complete_from_the_catalog()
    {
        var names = Shell.Values("(TabExpansion2 'Write-DbTable ord' 17).CompletionMatches.CompletionText");
        Assert.Equal(new object?[] { "order_view", "orders" }, names);
        var odd = Shell.Values("(TabExpansion2 'Get-DbTable Odd' 15).CompletionMatches.CompletionText");
        Assert.Equal(new object?[] { "'Odd \"Name\".x'" }, odd);
    }
}

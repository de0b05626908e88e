namespace PgUsers.UnitTests;

/// <summary>Get-DbUser's SQL from a <see cref="UserFilter"/>: every value bound as a parameter, never spliced into the text.</summary>
public sealed class UserQueryTests
{
    private static Dictionary<string, object?> Args(DbStatement statement) => statement.Parameters.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public void No_filter_reads_every_user_in_key_order()
    {
        var query = UserQuery.Build(new UserFilter());
        Assert.Equal($"SELECT {UserTable.Select} FROM users ORDER BY telegram_id", query.Rows.Sql);
        Assert.Equal("SELECT count(*) FROM users", query.Count.Sql);
        Assert.Empty(query.Rows.Parameters);
    }

    [Fact]
    public void Each_filter_adds_one_condition_with_its_value_bound()
    {
        var after = new DateTime(2026, 1, 1);
        var query = UserQuery.Build(new UserFilter
        {
            Username = "jo*'; DROP TABLE users; --",
            FullName = "J?hn",
            LanguageCodes = new[] { "EN", "uk" },
            CreatedAfter = after,
            ReferrerId = 7,
        });
        Assert.Equal(
            $"SELECT {UserTable.Select} FROM users WHERE username ~* @username_re AND full_name ~* @name_re AND lower(language_code) = ANY(@codes)"
            + " AND created_at > @after AND referrer_id = @referrer ORDER BY telegram_id",
            query.Rows.Sql);
        Assert.DoesNotContain("DROP", query.Rows.Sql);
        var args = Args(query.Rows);
        Assert.Equal(WildcardSql.ToRegex("jo*'; DROP TABLE users; --"), args["username_re"]);
        Assert.Equal(new[] { "en", "uk" }, args["codes"]);
        Assert.Equal(after, args["after"]);
        Assert.Equal(7L, args["referrer"]);
        // The count sees the same rows.
        Assert.EndsWith("AND referrer_id = @referrer", query.Count.Sql);
        Assert.Equal(args.Keys.Order(), Args(query.Count).Keys.Order());
    }

    [Fact]
    public void Ids_filter_by_key()
    {
        var query = UserQuery.Build(new UserFilter { Ids = new[] { 1L, 2L } });
        Assert.Contains("WHERE telegram_id = ANY(@ids)", query.Rows.Sql);
        Assert.Equal(new[] { 1L, 2L }, Args(query.Rows)["ids"]);
    }

    [Fact]
    public void Paging_binds_first_and_skip_to_the_rows_only()
    {
        var query = UserQuery.Build(new UserFilter { First = 10, Skip = ulong.MaxValue });
        Assert.EndsWith("ORDER BY telegram_id LIMIT @first OFFSET @skip", query.Rows.Sql);
        Assert.Equal(10L, Args(query.Rows)["first"]);
        Assert.Equal(long.MaxValue, Args(query.Rows)["skip"]);
        Assert.Empty(query.Count.Parameters);
        Assert.DoesNotContain("LIMIT", query.Count.Sql);
    }

    [Fact]
    public void Recurse_walks_the_referral_tree_under_the_referrer_and_stops_at_a_cycle()
    {
        var query = UserQuery.Build(new UserFilter { ReferrerId = 1, Recurse = true, LanguageCodes = new[] { "en" } });
        Assert.Contains("WITH RECURSIVE tree", query.Rows.Sql);
        Assert.Contains("<> ALL(t.path)", query.Rows.Sql);
        Assert.EndsWith("ORDER BY depth, telegram_id", query.Rows.Sql);
        Assert.StartsWith($"SELECT {UserTable.Select}, depth FROM", query.Rows.Sql);
        Assert.Equal(1L, Args(query.Rows)["referrer"]);
        // Without -Recurse the referrer is a plain filter.
        Assert.DoesNotContain("RECURSIVE", UserQuery.Build(new UserFilter { ReferrerId = 1 }).Rows.Sql);
    }
}

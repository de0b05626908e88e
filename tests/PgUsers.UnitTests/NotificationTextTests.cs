using System.Collections.Specialized;
using System.Management.Automation;
using PgUsers.Notifications;

namespace PgUsers.UnitTests;

/// <summary>What a notification may carry: channel names as PostgreSQL takes them, payloads as text or JSON under its limit.</summary>
public sealed class NotificationTextTests
{
    [Theory]
    [InlineData("jobs")]
    [InlineData("MixedCase")]
    [InlineData("with \"quotes\"; DROP TABLE x; --")]
    [InlineData("ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc")] // 63 bytes
    [InlineData("ééééééééééééééééééééééééééééééé")] // 62 bytes
    public void Channel_names_PostgreSQL_keeps_whole_are_taken(string name) => Assert.Null(ChannelName.Problem(name));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("a\0b", "NUL")]
    [InlineData("cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc", "64 bytes")]
    [InlineData("éééééééééééééééééééééééééééééééé", "64 bytes")]
    public void Channel_names_PostgreSQL_would_refuse_or_cut_are_refused(string name, string said)
        => Assert.Contains(said, ChannelName.Problem(name));

    [Fact]
    public void A_string_payload_is_sent_as_it_is_and_other_objects_as_JSON()
    {
        Assert.Equal("plain text, not \"JSON\"", NotificationPayload.Text("plain text, not \"JSON\""));
        Assert.Equal("", NotificationPayload.Text(null));
        Assert.Equal("42", NotificationPayload.Text(42));
        Assert.Equal("true", NotificationPayload.Text(true));
        var custom = new PSObject();
        custom.Properties.Add(new PSNoteProperty("id", 1));
        custom.Properties.Add(new PSNoteProperty("tags", new object[] { "a", "b" }));
        Assert.Equal("{\"id\":1,\"tags\":[\"a\",\"b\"]}", NotificationPayload.Text(custom));
        Assert.Equal("{\"k\":null}", NotificationPayload.Text(new OrderedDictionary { ["k"] = null }));
        Assert.Equal("{\"Channel\":\"c\",\"Size\":3}", NotificationPayload.Text(new Typed("c", 3)));
    }

    [Fact]
    public void Payloads_are_counted_in_UTF8_bytes_against_PostgreSQLs_limit()
    {
        Assert.Null(NotificationPayload.Problem(new string('x', 7999)));
        Assert.Null(NotificationPayload.Problem(new string('é', 3999) + "x"));
        Assert.Contains("8000 bytes", NotificationPayload.Problem(new string('x', 8000)));
        Assert.Contains("is 8000 bytes", NotificationPayload.Problem(new string('é', 4000)));
        Assert.Contains("is 8004 bytes", NotificationPayload.Problem(string.Concat(Enumerable.Repeat("😀", 2001))));
    }

    public sealed record Typed(string Channel, int Size);
}

<%@ Page Language="C#" %>
<script runat="server">
    // Reads a form field and encodes it for output.
    protected void Page_Load(object sender, EventArgs e) {
        var n = Request.Form["name"] ?? "guest";
        Greeting.Text = Server.HtmlEncode(n);
    }
</script>
<asp:Label id="Greeting" runat="server" />

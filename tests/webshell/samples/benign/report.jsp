<%@ page import="java.io.*" %>
<%-- Admin report: runs a fixed script; no request data reaches the command. --%>
<%
    Process p = new ProcessBuilder("/usr/local/bin/make-report", "--daily").start();
    p.waitFor();
%>
<p>Report generated.</p>

